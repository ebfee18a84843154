// whatsapp-web.js depends on puppeteer, whose install step downloads Chrome.
// There is no such download here (and production hosts use the distro's chromium),
// so skip it; set CHROME_PATH / WHATSAPP_CHROME_PATH to the browser to use.
module.exports = { skipDownload: true };
