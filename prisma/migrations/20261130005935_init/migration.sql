-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "AgencyKind" AS ENUM ('pemda', 'kementerian_lembaga', 'bpjs', 'bumn', 'bumd', 'admin');

-- CreateEnum
CREATE TYPE "AgencyLevel" AS ENUM ('national', 'province', 'regency');

-- CreateEnum
CREATE TYPE "MessageDirection" AS ENUM ('incoming', 'outgoing', 'activity');

-- CreateEnum
CREATE TYPE "DeliveryStatus" AS ENUM ('pending', 'sent', 'delivered', 'read', 'failed');

-- CreateEnum
CREATE TYPE "ReportType" AS ENUM ('pengaduan', 'aspirasi', 'permintaan_informasi');

-- CreateEnum
CREATE TYPE "Privacy" AS ENUM ('biasa', 'rahasia', 'anonim');

-- CreateEnum
CREATE TYPE "ReportStatus" AS ENUM ('diterima', 'terverifikasi', 'didisposisikan', 'ditindaklanjuti', 'selesai', 'ditunda', 'bukan_wewenang', 'diarsipkan');

-- CreateEnum
CREATE TYPE "OutboxStatus" AS ENUM ('pending', 'sending', 'sent', 'failed');

-- CreateTable
CREATE TABLE "agencies" (
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "AgencyKind" NOT NULL,
    "level" "AgencyLevel" NOT NULL,
    "region_code" TEXT,
    "parent_code" TEXT,
    "unit" TEXT,
    "categories" TEXT[],
    "aliases" TEXT[],
    "officer_channel" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "agencies_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "citizens" (
    "id" TEXT NOT NULL,
    "display_name" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "citizens_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "channel_identities" (
    "id" TEXT NOT NULL,
    "citizen_id" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "channel_identities_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "conversations" (
    "id" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "citizen_id" TEXT NOT NULL,
    "locale" TEXT NOT NULL DEFAULT 'id',
    "state" JSONB NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 0,
    "last_inbound_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "conversations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "messages" (
    "id" TEXT NOT NULL,
    "conversation_id" TEXT,
    "report_id" TEXT,
    "direction" "MessageDirection" NOT NULL,
    "channel" TEXT NOT NULL,
    "external_id" TEXT,
    "text" TEXT,
    "payload" JSONB,
    "delivery_status" "DeliveryStatus",
    "provider_error" TEXT,
    "processed_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "messages_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "reports" (
    "id" TEXT NOT NULL,
    "tracking_id" TEXT NOT NULL,
    "type" "ReportType" NOT NULL,
    "category" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "region_code" TEXT,
    "region_name" TEXT,
    "latitude" DOUBLE PRECISION,
    "longitude" DOUBLE PRECISION,
    "privacy" "Privacy" NOT NULL DEFAULT 'biasa',
    "status" "ReportStatus" NOT NULL DEFAULT 'diterima',
    "agency_code" TEXT NOT NULL,
    "citizen_id" TEXT NOT NULL,
    "conversation_id" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "locale" TEXT NOT NULL DEFAULT 'id',
    "classifier_confidence" DOUBLE PRECISION,
    "route_reason" TEXT,
    "due_at" TIMESTAMP(3),
    "due_kind" TEXT,
    "escalated_at" TIMESTAMP(3),
    "forward_count" INTEGER NOT NULL DEFAULT 0,
    "slack_channel" TEXT,
    "slack_ts" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,
    "closed_at" TIMESTAMP(3),

    CONSTRAINT "reports_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "report_events" (
    "id" TEXT NOT NULL,
    "report_id" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor_role" TEXT NOT NULL,
    "actor_id" TEXT,
    "action" TEXT NOT NULL,
    "from_status" "ReportStatus",
    "to_status" "ReportStatus",
    "agency_code" TEXT,
    "note" TEXT,
    "visibility" TEXT NOT NULL DEFAULT 'internal',
    "data" JSONB,

    CONSTRAINT "report_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "attachments" (
    "id" TEXT NOT NULL,
    "report_id" TEXT,
    "message_id" TEXT,
    "channel" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "ref" TEXT NOT NULL,
    "mime_type" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "attachments_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "outbox" (
    "id" BIGSERIAL NOT NULL,
    "channel" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "status" "OutboxStatus" NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "available_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "claimed_at" TIMESTAMP(3),
    "claimed_by" TEXT,
    "last_error" TEXT,
    "provider_message_id" TEXT,
    "message_id" TEXT,
    "report_id" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sent_at" TIMESTAMP(3),

    CONSTRAINT "outbox_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "agencies_region_code_idx" ON "agencies"("region_code");

-- CreateIndex
CREATE INDEX "agencies_parent_code_idx" ON "agencies"("parent_code");

-- CreateIndex
CREATE UNIQUE INDEX "channel_identities_channel_address_key" ON "channel_identities"("channel", "address");

-- CreateIndex
CREATE UNIQUE INDEX "conversations_channel_address_key" ON "conversations"("channel", "address");

-- CreateIndex
CREATE INDEX "messages_conversation_id_created_at_idx" ON "messages"("conversation_id", "created_at");

-- CreateIndex
CREATE INDEX "messages_direction_processed_at_idx" ON "messages"("direction", "processed_at");

-- CreateIndex
CREATE UNIQUE INDEX "messages_channel_external_id_key" ON "messages"("channel", "external_id");

-- CreateIndex
CREATE UNIQUE INDEX "reports_tracking_id_key" ON "reports"("tracking_id");

-- CreateIndex
CREATE INDEX "reports_status_due_at_idx" ON "reports"("status", "due_at");

-- CreateIndex
CREATE INDEX "reports_agency_code_status_idx" ON "reports"("agency_code", "status");

-- CreateIndex
CREATE INDEX "reports_slack_channel_slack_ts_idx" ON "reports"("slack_channel", "slack_ts");

-- CreateIndex
CREATE INDEX "report_events_report_id_at_idx" ON "report_events"("report_id", "at");

-- CreateIndex
CREATE INDEX "outbox_status_available_at_idx" ON "outbox"("status", "available_at");

-- CreateIndex
CREATE INDEX "outbox_channel_address_id_idx" ON "outbox"("channel", "address", "id");

-- AddForeignKey
ALTER TABLE "channel_identities" ADD CONSTRAINT "channel_identities_citizen_id_fkey" FOREIGN KEY ("citizen_id") REFERENCES "citizens"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "conversations" ADD CONSTRAINT "conversations_citizen_id_fkey" FOREIGN KEY ("citizen_id") REFERENCES "citizens"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "messages" ADD CONSTRAINT "messages_conversation_id_fkey" FOREIGN KEY ("conversation_id") REFERENCES "conversations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "messages" ADD CONSTRAINT "messages_report_id_fkey" FOREIGN KEY ("report_id") REFERENCES "reports"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "reports" ADD CONSTRAINT "reports_agency_code_fkey" FOREIGN KEY ("agency_code") REFERENCES "agencies"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "reports" ADD CONSTRAINT "reports_citizen_id_fkey" FOREIGN KEY ("citizen_id") REFERENCES "citizens"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "reports" ADD CONSTRAINT "reports_conversation_id_fkey" FOREIGN KEY ("conversation_id") REFERENCES "conversations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "report_events" ADD CONSTRAINT "report_events_report_id_fkey" FOREIGN KEY ("report_id") REFERENCES "reports"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "attachments" ADD CONSTRAINT "attachments_report_id_fkey" FOREIGN KEY ("report_id") REFERENCES "reports"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "attachments" ADD CONSTRAINT "attachments_message_id_fkey" FOREIGN KEY ("message_id") REFERENCES "messages"("id") ON DELETE CASCADE ON UPDATE CASCADE;
