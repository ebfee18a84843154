-- CreateTable
CREATE TABLE "routing_examples" (
    "id" TEXT NOT NULL,
    "report_id" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "region_code" TEXT,
    "agency_code" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "routing_examples_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "routing_examples_created_at_idx" ON "routing_examples"("created_at");

-- CreateIndex
CREATE UNIQUE INDEX "routing_examples_report_id_source_agency_code_key" ON "routing_examples"("report_id", "source", "agency_code");
