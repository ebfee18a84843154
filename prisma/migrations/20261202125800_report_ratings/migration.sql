-- CreateTable
CREATE TABLE "report_ratings" (
    "id" TEXT NOT NULL,
    "report_id" TEXT NOT NULL,
    "agency_code" TEXT NOT NULL,
    "score" INTEGER NOT NULL,
    "reopened" BOOLEAN NOT NULL DEFAULT false,
    "resolved_at" TIMESTAMP(3) NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "report_ratings_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "report_ratings_agency_code_created_at_idx" ON "report_ratings"("agency_code", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "report_ratings_report_id_resolved_at_key" ON "report_ratings"("report_id", "resolved_at");

-- AddForeignKey
ALTER TABLE "report_ratings" ADD CONSTRAINT "report_ratings_report_id_fkey" FOREIGN KEY ("report_id") REFERENCES "reports"("id") ON DELETE CASCADE ON UPDATE CASCADE;
