-- AlterTable
ALTER TABLE "messages" ADD COLUMN     "attempts" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "failed_at" TIMESTAMP(3),
ADD COLUMN     "failure" TEXT;

-- CreateTable
CREATE TABLE "inbound_rejections" (
    "id" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "inbound_rejections_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "inbound_rejections_created_at_idx" ON "inbound_rejections"("created_at");

-- CreateIndex
CREATE INDEX "messages_failed_at_idx" ON "messages"("failed_at");
