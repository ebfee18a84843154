-- AlterTable
ALTER TABLE "reports" ADD COLUMN     "similar_to" TEXT,
ADD COLUMN     "text_stems" TEXT;

-- CreateTable
CREATE TABLE "report_bands" (
    "band" TEXT NOT NULL,
    "report_id" TEXT NOT NULL,

    CONSTRAINT "report_bands_pkey" PRIMARY KEY ("band","report_id")
);

-- CreateIndex
CREATE INDEX "report_bands_report_id_idx" ON "report_bands"("report_id");

-- CreateIndex
CREATE INDEX "reports_similar_to_idx" ON "reports"("similar_to");

-- CreateIndex
CREATE INDEX "reports_citizen_id_created_at_idx" ON "reports"("citizen_id", "created_at");

-- AddForeignKey
ALTER TABLE "report_bands" ADD CONSTRAINT "report_bands_report_id_fkey" FOREIGN KEY ("report_id") REFERENCES "reports"("id") ON DELETE CASCADE ON UPDATE CASCADE;
