/**
 * Every text a citizen reads, in Bahasa Indonesia (default) and English. `{name}` placeholders
 * are filled by `t`. Keys with an `sms` variant have a compact wording for SMS, where every
 * 153 characters cost the citizen (or us) one message.
 */
import type { Locale } from './types.ts';

export type { Locale };

interface Text {
  id: string;
  en: string;
  smsId?: string;
  smsEn?: string;
}

export const TEXTS = {
  welcome: {
    id: 'Halo, ini layanan pengaduan LAPOR! 👋\nCeritakan keluhan, aspirasi, atau pertanyaan Anda tentang layanan publik: apa yang terjadi, di mana, dan sejak kapan. Kami teruskan ke instansi yang berwenang.\nKetik *bantuan* untuk petunjuk.',
    en: 'Hello, this is the LAPOR! public service complaint line 👋\nTell us your complaint, suggestion or question about a public service: what happened, where and since when. We forward it to the agency in charge.\nType *help* for instructions.',
    smsId: 'LAPOR!: tulis keluhan Anda (apa, di mana, sejak kapan). Ketik BANTUAN utk petunjuk.',
    smsEn: 'LAPOR!: write your complaint (what, where, since when). Type HELP for instructions.',
  },
  help: {
    id: 'Petunjuk:\n• Tulis keluhan Anda dengan kalimat biasa, sebutkan lokasinya (desa/kelurahan, kecamatan, kabupaten/kota).\n• *status <nomor laporan>*: cek perkembangan laporan.\n• *batal*: batalkan laporan yang sedang diisi.\n• *ubah lokasi* / *ubah kategori* / *ubah uraian*: perbaiki sebelum dikirim.\n• *english*: switch to English.',
    en: 'How it works:\n• Describe your complaint in plain words and say where (village, district, regency/city).\n• *status <tracking ID>*: check a report.\n• *cancel*: drop the report you are writing.\n• *change location* / *change category* / *change description*: fix it before sending.\n• *bahasa*: ganti ke Bahasa Indonesia.',
    smsId: 'Tulis keluhan+lokasi. STATUS <nomor>: cek laporan. BATAL: batalkan. UBAH LOKASI: perbaiki.',
    smsEn: 'Write complaint+place. STATUS <id>: check. CANCEL: drop. CHANGE LOCATION: fix.',
  },
  askDescription: {
    id: 'Silakan ceritakan keluhan Anda: apa yang terjadi, di mana, dan sejak kapan.',
    en: 'Please describe the problem: what happened, where, and since when.',
    smsId: 'Tulis keluhan Anda: apa, di mana, sejak kapan.',
    smsEn: 'Write your complaint: what, where, since when.',
  },
  askMoreDetail: {
    id: 'Agar laporan sampai ke instansi yang tepat, mohon ceritakan lebih rinci: layanan apa yang bermasalah dan apa yang terjadi? (contoh: lampu jalan mati, KTP belum jadi, air PDAM tidak mengalir)',
    en: 'So that your report reaches the right agency, please tell us more: which service has a problem and what happened? (e.g. street light broken, ID card not issued, no tap water)',
    smsId: 'Mohon lebih rinci: layanan apa & apa masalahnya? (mis. lampu jalan mati, KTP blm jadi)',
    smsEn: 'Please say more: which service, what problem? (e.g. street light out, ID card late)',
  },
  descriptionTooShort: {
    id: 'Mohon ceritakan sedikit lebih rinci agar petugas bisa menindaklanjuti: apa masalahnya dan di mana?',
    en: 'Please add a little more detail so officers can act: what is the problem and where?',
    smsId: 'Mohon lebih rinci: apa masalahnya dan di mana?',
    smsEn: 'Please add detail: what and where?',
  },
  askCategory: {
    id: 'Topik mana yang paling sesuai dengan laporan Anda?',
    en: 'Which topic fits your report best?',
    smsId: 'Topik laporan?',
    smsEn: 'Topic?',
  },
  askCategoryAll: {
    id: 'Silakan pilih topik laporan Anda:',
    en: 'Please pick the topic of your report:',
    smsId: 'Pilih topik:',
    smsEn: 'Pick a topic:',
  },
  askLocation: {
    id: 'Di mana lokasinya? Sebutkan desa/kelurahan, kecamatan, dan kabupaten/kota (contoh: Kec. Kemangkon, Purbalingga), atau kirim titik lokasi.',
    en: 'Where is it? Name the village, district and regency/city (e.g. Kemangkon district, Purbalingga), or share a location pin.',
    smsId: 'Lokasinya di mana? (kecamatan, kabupaten/kota)',
    smsEn: 'Where? (district, regency/city)',
  },
  askLocationAfterPin: {
    id: 'Titik lokasi sudah kami terima. Mohon sebutkan juga kecamatan dan kabupaten/kotanya agar laporan sampai ke instansi yang tepat.',
    en: 'We got the location pin. Please also name the district and regency/city so the report reaches the right agency.',
    smsId: 'Titik lokasi diterima. Sebutkan juga kecamatan & kab/kota.',
    smsEn: 'Pin received. Also name the district & regency/city.',
  },
  locationNotFound: {
    id: 'Maaf, kami belum menemukan "{place}" di daftar wilayah. Coba tulis nama kecamatan dan kabupaten/kota, misalnya "Kec. Kemangkon, Kab. Purbalingga".',
    en: 'Sorry, we could not find "{place}" in the list of regions. Try the district and regency/city, e.g. "Kemangkon, Purbalingga".',
    smsId: '"{place}" tdk ditemukan. Tulis kecamatan + kab/kota.',
    smsEn: '"{place}" not found. Write district + regency/city.',
  },
  locationGiveUp: {
    id: 'Baik, lokasinya kami catat apa adanya. Petugas verifikasi akan memastikan wilayahnya.',
    en: 'All right, we will keep the location as you wrote it. A verifier will confirm the region.',
    smsId: 'Lokasi dicatat apa adanya; petugas akan memastikan.',
    smsEn: 'Location kept as written; a verifier will check it.',
  },
  askRegencyInProvince: {
    id: 'Di kabupaten/kota mana di {province}? (contoh: Kab. Purbalingga, atau Kec. Kemangkon, Purbalingga)',
    en: 'Which regency or city in {province}? (e.g. Purbalingga regency, or Kemangkon district, Purbalingga)',
    smsId: 'Kab/kota mana di {province}?',
    smsEn: 'Which regency/city in {province}?',
  },
  askRegionChoice: {
    id: 'Ada beberapa wilayah bernama itu. Yang mana maksud Anda?',
    en: 'Several regions have that name. Which one do you mean?',
    smsId: 'Wilayah yang mana?',
    smsEn: 'Which region?',
  },
  askType: {
    id: 'Ini termasuk yang mana?',
    en: 'What kind of message is this?',
    smsId: 'Jenis laporan?',
    smsEn: 'Kind of report?',
  },
  askEditWhich: {
    id: 'Bagian mana yang ingin diubah?',
    en: 'What would you like to change?',
    smsId: 'Ubah yang mana?',
    smsEn: 'Change what?',
  },
  summary: {
    id: 'Mohon periksa laporan Anda:\n• Uraian: {description}\n• Topik: {category}\n• Lokasi: {location}\n• Jenis: {type}\n• Identitas: {privacy}\nKirim sekarang?',
    en: 'Please check your report:\n• Description: {description}\n• Topic: {category}\n• Location: {location}\n• Kind: {type}\n• Identity: {privacy}\nSend it now?',
    smsId: 'Cek: {category}, {location}, {type}. Kirim?',
    smsEn: 'Check: {category}, {location}, {type}. Send?',
  },
  cancelled: {
    id: 'Laporan dibatalkan. Tidak ada yang dikirim. Tulis pesan baru kapan saja untuk membuat laporan.',
    en: 'Report cancelled. Nothing was sent. Write a new message any time to start a report.',
    smsId: 'Laporan dibatalkan.',
    smsEn: 'Report cancelled.',
  },
  nothingToCancel: {
    id: 'Tidak ada laporan yang sedang diisi. Tulis keluhan Anda untuk memulai.',
    en: 'There is no report in progress. Write your complaint to start one.',
    smsId: 'Tdk ada laporan yg sedang diisi. Tulis keluhan Anda.',
    smsEn: 'No report in progress. Write your complaint.',
  },
  stickerNotText: {
    id: 'Maaf, kami belum bisa membaca {kind}. Mohon tulis dengan teks.',
    en: 'Sorry, we cannot read {kind} yet. Please write it as text.',
    smsId: 'Mohon tulis dengan teks.',
    smsEn: 'Please write it as text.',
  },
  emptyMessage: {
    id: 'Pesan Anda kosong. Mohon tulis keluhan Anda dengan kata-kata.',
    en: 'Your message was empty. Please describe your complaint in words.',
    smsId: 'Pesan kosong. Tulis keluhan Anda.',
    smsEn: 'Empty message. Write your complaint.',
  },
  notReport: {
    id: 'Terima kasih sudah menghubungi LAPOR! 🙏 Pesan ini tampaknya bukan laporan, jadi belum kami teruskan.\nLayanan ini menerima keluhan, aspirasi, dan pertanyaan tentang layanan publik. Ceritakan apa yang terjadi, di mana, dan sejak kapan, misalnya: "Lampu jalan di Jl. Melati, Kec. Sumbang mati sejak seminggu."\nJika pesan tadi memang laporan, pilih *Ini laporan*.',
    en: 'Thank you for contacting LAPOR! 🙏 This message does not look like a report, so we have not forwarded it.\nThis service takes complaints, suggestions and questions about public services. Tell us what happened, where and since when, for example: "The street light on Jl. Melati, Sumbang district has been out for a week."\nIf your message was a report, choose *This is a report*.',
    smsId: 'Pesan ini bukan laporan. Tulis keluhan: apa, di mana, sejak kapan. Jika ini laporan, balas 1.',
    smsEn: 'Not a report. Write: what, where, since when. If it is a report, reply 1.',
  },
  emojiOnly: {
    id: 'Terima kasih 🙂 Mohon tulis keluhan Anda dengan kata-kata agar bisa kami teruskan.',
    en: 'Thank you 🙂 Please describe your complaint in words so we can forward it.',
    smsId: 'Mohon tulis keluhan Anda dengan kata-kata.',
    smsEn: 'Please write your complaint in words.',
  },
  tooLong: {
    id: 'Pesan Anda terlalu panjang ({length} karakter, paling banyak {max}). Mohon ringkas isi pokoknya; rincian bisa dikirim setelah laporan tercatat.',
    en: 'Your message is too long ({length} characters, at most {max}). Please summarise the main point; details can follow once the report is filed.',
    smsId: 'Pesan terlalu panjang. Mohon ringkas (maks {max} karakter).',
    smsEn: 'Message too long. Please shorten it (max {max} characters).',
  },
  unknownCommand: {
    id: 'Perintah "{command}" tidak dikenal. Ketik *bantuan* untuk petunjuk.',
    en: 'Unknown command "{command}". Type *help* for instructions.',
    smsId: 'Perintah {command} tdk dikenal. Ketik BANTUAN.',
    smsEn: 'Unknown command {command}. Type HELP.',
  },
  photoReceived: {
    id: 'Foto diterima dan akan dilampirkan pada laporan.',
    en: 'Photo received; it will be attached to the report.',
    smsId: 'Foto diterima.',
    smsEn: 'Photo received.',
  },
  badTrackingId: {
    id: 'Nomor laporan "{input}" tidak valid. Nomor laporan berbentuk seperti LPR-7KQ-9M4-XTW (cek kembali huruf dan angkanya).',
    en: 'Tracking ID "{input}" is not valid. IDs look like LPR-7KQ-9M4-XTW (check the letters and digits).',
    smsId: 'Nomor "{input}" tdk valid. Contoh: LPR-7KQ-9M4-XTW',
    smsEn: 'ID "{input}" invalid. E.g. LPR-7KQ-9M4-XTW',
  },
  askTrackingId: {
    id: 'Sebutkan nomor laporan Anda, misalnya: status LPR-7KQ-9M4-XTW',
    en: 'Tell us your tracking ID, e.g.: status LPR-7KQ-9M4-XTW',
    smsId: 'Kirim: STATUS <nomor laporan>',
    smsEn: 'Send: STATUS <tracking ID>',
  },
  reportNotFound: {
    id: 'Laporan {trackingId} tidak ditemukan. Periksa kembali nomornya.',
    en: 'Report {trackingId} was not found. Please check the ID.',
  },
  statusLine: {
    id: 'Laporan {trackingId}\nStatus: {status}\nDitangani: {agency}\nTerakhir: {lastEvent}',
    en: 'Report {trackingId}\nStatus: {status}\nHandled by: {agency}\nLatest: {lastEvent}',
    smsId: '{trackingId}: {status}, {agency}',
    smsEn: '{trackingId}: {status}, {agency}',
  },
  filed: {
    id: 'Laporan Anda tercatat dengan nomor *{trackingId}*.\nDiteruskan ke: {agency}.\nTanggapan paling lambat: {dueDate}.\nSimpan nomor ini; ketik "status {trackingId}" untuk cek perkembangan. Kabar berikutnya kami kirim di percakapan ini.',
    en: 'Your report is filed as *{trackingId}*.\nForwarded to: {agency}.\nResponse due by: {dueDate}.\nKeep this ID; type "status {trackingId}" to check progress. We will post updates in this chat.',
    smsId: 'Laporan tercatat: {trackingId}. Ke: {agency}. Tanggapan s.d. {dueDate}. Cek: STATUS {trackingId}',
    smsEn: 'Filed: {trackingId}. To: {agency}. Response by {dueDate}. Check: STATUS {trackingId}',
  },
  filedForVerification: {
    id: 'Laporan Anda tercatat dengan nomor *{trackingId}*.\nPetugas verifikasi nasional akan meneruskannya ke instansi yang berwenang paling lambat {dueDate}.\nKetik "status {trackingId}" untuk cek perkembangan.',
    en: 'Your report is filed as *{trackingId}*.\nThe national verification desk will forward it to the agency in charge by {dueDate}.\nType "status {trackingId}" to check progress.',
    smsId: 'Laporan tercatat: {trackingId}. Diverifikasi s.d. {dueDate}. Cek: STATUS {trackingId}',
    smsEn: 'Filed: {trackingId}. Verified by {dueDate}. Check: STATUS {trackingId}',
  },
  similarReported: {
    id: 'Masalah yang sama sudah dilaporkan sebelumnya dengan nomor *{mainId}*. Laporan Anda digabungkan dengannya sebagai laporan serupa agar ditangani bersama; Anda tetap menerima setiap perkembangan.',
    en: 'The same problem was already reported as *{mainId}*. Your report is linked to it as a similar report so they are handled together; you will still get every update.',
    smsId: 'Masalah yg sama sudah dilaporkan: {mainId}. Laporan Anda digabung; kabar tetap dikirim.',
    smsEn: 'Already reported as {mainId}. Yours is linked; you still get updates.',
  },
  filedFlooded: {
    id: 'Laporan Anda tercatat dengan nomor *{trackingId}*.\nHari ini Anda sudah mengirim banyak laporan, jadi laporan ini diperiksa dulu oleh petugas verifikasi sebelum diteruskan, paling lambat {dueDate}. Tidak ada yang hilang.\nKetik "status {trackingId}" untuk cek perkembangan.',
    en: 'Your report is filed as *{trackingId}*.\nYou have sent many reports today, so a verifier checks this one before it is forwarded, by {dueDate}. Nothing is lost.\nType "status {trackingId}" to check progress.',
    smsId: 'Tercatat: {trackingId}. Banyak laporan hari ini; diverifikasi dulu s.d. {dueDate}.',
    smsEn: 'Filed: {trackingId}. Many reports today; verified first by {dueDate}.',
  },
  forwarded: {
    id: 'Laporan {trackingId} diteruskan ke {agency}. Tanggapan paling lambat {dueDate}.',
    en: 'Report {trackingId} was forwarded to {agency}. Response due by {dueDate}.',
  },
  officerReply: {
    id: 'Tanggapan {agency} atas laporan {trackingId}:\n"{text}"',
    en: 'Response from {agency} on report {trackingId}:\n"{text}"',
  },
  officerQuestion: {
    id: 'Petugas {agency} bertanya tentang laporan {trackingId}:\n"{text}"\nBalas pesan ini untuk menjawab.',
    en: '{agency} has a question about report {trackingId}:\n"{text}"\nReply to this message to answer.',
  },
  citizenReplyForwarded: {
    id: 'Terima kasih, jawaban Anda sudah diteruskan ke petugas laporan {trackingId}.',
    en: 'Thank you, your answer was passed to the officer handling {trackingId}.',
  },
  postponed: {
    id: 'Laporan {trackingId} ditunda oleh {agency}: "{text}"',
    en: 'Report {trackingId} was put on hold by {agency}: "{text}"',
  },
  resolved: {
    id: 'Laporan {trackingId} dinyatakan selesai oleh {agency}:\n"{text}"\nTerima kasih telah melapor.',
    en: 'Report {trackingId} was marked resolved by {agency}:\n"{text}"\nThank you for reporting.',
  },
  autoClosed: {
    id: 'Laporan {trackingId} kami tutup karena tidak ada tanggapan lanjutan selama {days} hari kerja. Jika masalah belum selesai, kirim laporan baru dan sebutkan nomor ini.',
    en: 'Report {trackingId} was closed after {days} working days without a reply. If the problem persists, file a new report and mention this ID.',
  },
  overdue: {
    id: 'Mohon maaf, laporan {trackingId} belum ditanggapi tepat waktu oleh {agency}. Kami sudah meneruskannya ke pengawas nasional.',
    en: 'We are sorry: report {trackingId} was not answered in time by {agency}. We have escalated it to the national supervisors.',
  },
  messageUnreadable: {
    id: 'Maaf, kami tidak dapat membaca pesan Anda barusan. Mohon kirim ulang pesan tersebut.',
    en: 'Sorry, we could not read the message you just sent. Please send it again.',
  },
  reportClosedReply: {
    id: 'Laporan {trackingId} sudah ditutup. Jika masalahnya belum selesai, tulis keluhan baru dan sebutkan nomor {trackingId}.',
    en: 'Report {trackingId} is already closed. If the problem is not solved, write a new complaint and mention {trackingId}.',
  },
  languageSwitched: {
    id: 'Baik, kita lanjut dalam Bahasa Indonesia.',
    en: 'All right, we will continue in English.',
  },
  thanks: {
    id: 'Sama-sama 🙏 Tulis pesan baru kapan saja untuk laporan lain, atau ketik *status <nomor laporan>* untuk cek perkembangan.',
    en: 'You are welcome 🙏 Write any time to file another report, or type *status <tracking ID>* to check on one.',
    smsId: 'Sama-sama. Cek laporan: STATUS <nomor>.',
    smsEn: 'You are welcome. Check a report: STATUS <id>.',
  },
  accepted: {
    id: 'Laporan {trackingId} sudah diterima dan sedang ditangani oleh {agency}.',
    en: 'Report {trackingId} has been taken up by {agency}.',
    smsId: '{trackingId} diterima & ditangani {agency}.',
    smsEn: '{trackingId} taken up by {agency}.',
  },
  resumed: {
    id: 'Penanganan laporan {trackingId} dilanjutkan kembali oleh {agency}. Tanggapan paling lambat {dueDate}.',
    en: '{agency} has resumed work on report {trackingId}. Response due by {dueDate}.',
    smsId: '{trackingId} dilanjutkan {agency}. Tanggapan s.d. {dueDate}.',
    smsEn: '{trackingId} resumed by {agency}. Response by {dueDate}.',
  },
  rateQuestion: {
    id: 'Bagaimana penilaian Anda atas penyelesaian laporan {trackingId}? Pilih 1 (sangat tidak puas) sampai 5 (sangat puas). Jika masalahnya belum selesai, pilih "Tidak puas" dalam {days} hari kerja: laporan dibuka kembali.',
    en: 'How do you rate the resolution of report {trackingId}? Choose 1 (very dissatisfied) to 5 (very satisfied). If the problem is not solved, choose "Dissatisfied" within {days} working days and the report is reopened.',
    smsId:
      'Nilai penyelesaian {trackingId} (1-5). Tdk puas (1-2) dlm {days} hari kerja membuka kembali laporan.',
    smsEn: 'Rate {trackingId} (1-5). Dissatisfied (1-2) within {days} working days reopens it.',
  },
  rateAskReason: {
    id: 'Mohon maaf masalahnya belum selesai. Ceritakan singkat apa yang belum beres dari laporan {trackingId}.',
    en: 'We are sorry the problem is not solved. Please tell us briefly what is still wrong with report {trackingId}.',
    smsId: 'Maaf. Tulis singkat apa yg belum beres ({trackingId}).',
    smsEn: 'Sorry. Say briefly what is still wrong ({trackingId}).',
  },
  rateThanks: {
    id: 'Terima kasih atas penilaian Anda ({score}/5). Laporan {trackingId} ditutup.',
    en: 'Thank you for your rating ({score}/5). Report {trackingId} is closed.',
  },
  rateReopened: {
    id: 'Laporan {trackingId} dibuka kembali dan dikembalikan ke {agency} beserta keterangan Anda. Tanggapan paling lambat {dueDate}.',
    en: 'Report {trackingId} is reopened and sent back to {agency} with your explanation. Response due by {dueDate}.',
    smsId: '{trackingId} dibuka kembali, ke {agency}. Tanggapan s.d. {dueDate}.',
    smsEn: '{trackingId} reopened, back to {agency}. Response by {dueDate}.',
  },
  rateTooLate: {
    id: 'Terima kasih atas penilaian Anda. Batas untuk membuka kembali laporan {trackingId} ({days} hari kerja setelah selesai) sudah lewat. Jika masalahnya belum selesai, kirim laporan baru dan sebutkan nomor {trackingId}.',
    en: 'Thank you for your rating. The time to reopen report {trackingId} ({days} working days after it was resolved) has passed. If the problem persists, file a new report and mention {trackingId}.',
    smsId: 'Terima kasih. Batas buka kembali {trackingId} sdh lewat; kirim laporan baru & sebut nomor ini.',
    smsEn: 'Thank you. Too late to reopen {trackingId}; file a new report and mention this ID.',
  },
  rateAlready: {
    id: 'Terima kasih. Penilaian untuk laporan {trackingId} sudah kami catat sebelumnya.',
    en: 'Thank you. Your rating of report {trackingId} was already recorded.',
  },
  rateNotResolved: {
    id: 'Laporan {trackingId} sedang ditangani; penilaian bisa diberikan setelah laporan selesai.',
    en: 'Report {trackingId} is still being handled; you can rate it once it is resolved.',
  },
  locationUnknown: { id: '(belum diketahui)', en: '(unknown)' },
  choiceHint: { id: 'Pilih salah satu di atas.', en: 'Pick one of the options above.' },
} satisfies Record<string, Text>;

export type TextKey = keyof typeof TEXTS;

/** Short labels used in choices and summaries; `sms*` variants are shorter still, for SMS. */
export const LABELS = {
  yes: { id: 'Ya', en: 'Yes' },
  confirm: { id: 'Kirim', en: 'Send' },
  confirmRahasia: {
    id: 'Kirim, rahasiakan identitas',
    en: 'Send, keep my identity confidential',
    smsId: 'Rahasia',
    smsEn: 'Confidential',
  },
  confirmAnonim: { id: 'Kirim secara anonim', en: 'Send anonymously', smsId: 'Anonim', smsEn: 'Anonymous' },
  edit: { id: 'Ubah', en: 'Change' },
  cancel: { id: 'Batal', en: 'Cancel' },
  other: { id: 'Lainnya', en: 'Other' },
  thisIsReport: { id: 'Ini laporan', en: 'This is a report' },
  retypeLocation: {
    id: 'Bukan semua, ketik ulang',
    en: 'None of these, type again',
    smsId: 'Ketik ulang',
    smsEn: 'Retype',
  },
  slotDescription: { id: 'Uraian', en: 'Description' },
  slotCategory: { id: 'Topik', en: 'Topic' },
  slotLocation: { id: 'Lokasi', en: 'Location' },
  slotType: { id: 'Jenis', en: 'Kind' },
  typePengaduan: { id: 'Pengaduan (keluhan)', en: 'Complaint', smsId: 'Pengaduan' },
  typeAspirasi: { id: 'Aspirasi (usul/saran)', en: 'Suggestion', smsId: 'Aspirasi' },
  typeInformasi: { id: 'Permintaan informasi', en: 'Information request', smsId: 'Info', smsEn: 'Info' },
  privacyBiasa: { id: 'ditampilkan ke petugas', en: 'shown to officers' },
  privacyRahasia: {
    id: 'dirahasiakan (tidak ditampilkan ke petugas)',
    en: 'confidential (not shown to officers)',
  },
  privacyAnonim: { id: 'anonim (tidak ditampilkan ke siapa pun)', en: 'anonymous (shown to no one)' },
  rate1: { id: 'Sangat tidak puas', en: 'Very dissatisfied' },
  rate2: { id: 'Tidak puas', en: 'Dissatisfied' },
  rate3: { id: 'Cukup', en: 'Fair' },
  rate4: { id: 'Puas', en: 'Satisfied' },
  rate5: { id: 'Sangat puas', en: 'Very satisfied' },
} satisfies Record<string, Text>;

export type LabelKey = keyof typeof LABELS;

/** A choice or summary label in a locale; `compact` picks the SMS wording when there is one. */
export function label(locale: Locale, key: LabelKey, compact = false): string {
  const entry: Text = LABELS[key];
  return (compact ? (locale === 'en' ? entry.smsEn : entry.smsId) : undefined) ?? entry[locale];
}

/**
 * Short category names for SMS choice lists ("Balas: 1 Jalan/PU, 2 KTP/KK, …"), where the full
 * LAPOR! topic names would cost several messages. Keyed by category id.
 */
export const SHORT_CATEGORY_LABELS: Record<string, { id: string; en: string }> = {
  pekerjaan_umum: { id: 'Jalan/PU', en: 'Roads/works' },
  kependudukan: { id: 'KTP/KK', en: 'ID/civil reg.' },
  kesehatan: { id: 'Kesehatan', en: 'Health' },
  jaminan_sosial: { id: 'BPJS', en: 'BPJS' },
  pendidikan: { id: 'Sekolah', en: 'Education' },
  sosial: { id: 'Bansos', en: 'Welfare' },
  ketenagakerjaan: { id: 'Kerja', en: 'Labour' },
  perhubungan: { id: 'Transportasi', en: 'Transport' },
  lingkungan_hidup: { id: 'Sampah/lingk.', en: 'Environment' },
  ketertiban_umum: { id: 'Ketertiban', en: 'Public order' },
  energi_listrik: { id: 'Listrik', en: 'Electricity' },
  air_bersih: { id: 'Air', en: 'Water' },
  ekonomi_keuangan: { id: 'Pajak/keuangan', en: 'Tax/finance' },
  perlindungan_konsumen: { id: 'Konsumen', en: 'Consumer' },
  tik: { id: 'Internet/TIK', en: 'Internet/IT' },
  agama: { id: 'Agama', en: 'Religion' },
  pertanian: { id: 'Pertanian', en: 'Farming' },
  hukum_kepolisian: { id: 'Hukum/polisi', en: 'Law/police' },
  pemerintahan: { id: 'Pemerintahan', en: 'Government' },
  lainnya: { id: 'Lainnya', en: 'Other' },
};

/** Renders a text in a locale, filling `{name}` placeholders. `compact` picks the SMS wording. */
export function t(
  locale: Locale,
  key: TextKey,
  params: Record<string, string | number> = {},
  compact = false,
): string {
  const entry: Text = TEXTS[key];
  const template = (compact ? (locale === 'en' ? entry.smsEn : entry.smsId) : undefined) ?? entry[locale];
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

/** Formats a deadline for citizens: "Jumat, 5 Desember 2026" in Jakarta time. */
// Building an Intl formatter is costly (it showed in the intake profile); one per locale.
const DATE_FORMATS: Record<Locale, Intl.DateTimeFormat> = {
  id: new Intl.DateTimeFormat('id-ID', {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'Asia/Jakarta',
  }),
  en: new Intl.DateTimeFormat('en-GB', {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'Asia/Jakarta',
  }),
};

export function formatDate(locale: Locale, date: Date): string {
  return DATE_FORMATS[locale].format(date);
}
