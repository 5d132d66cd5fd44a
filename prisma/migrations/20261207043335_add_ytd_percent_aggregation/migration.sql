-- AlterEnum
ALTER TYPE "Aggregation" ADD VALUE 'ytd_percent';
