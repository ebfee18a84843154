-- CreateIndex
CREATE INDEX "outbox_status_channel_address_id_idx" ON "outbox"("status", "channel", "address", "id");
