terraform {
  required_version = ">= 1.5"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
  backend "local" {}
}

resource "aws_s3_bucket" "this" {
  bucket        = var.name
  force_destroy = var.environment != "production"
  tags          = merge(var.tags, { "self-service.io/expected-storage-gb" = tostring(var.expected_storage_gb) })
}

resource "aws_s3_bucket_public_access_block" "this" {
  bucket                  = aws_s3_bucket.this.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

# Encryption at rest is always on; it is not a parameter.
resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  bucket = aws_s3_bucket.this.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "aws:kms"
    }
  }
}

resource "aws_s3_bucket_versioning" "this" {
  bucket = aws_s3_bucket.this.id
  versioning_configuration {
    status = var.versioning_enabled ? "Enabled" : "Suspended"
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "this" {
  bucket = aws_s3_bucket.this.id

  rule {
    id     = "expire-noncurrent"
    status = "Enabled"
    filter {}
    noncurrent_version_expiration {
      noncurrent_days = var.expire_noncurrent_after_days
    }
  }

  dynamic "rule" {
    for_each = var.transition_to_ia_after_days > 0 ? [1] : []
    content {
      id     = "transition-to-ia"
      status = "Enabled"
      filter {}
      transition {
        days          = var.transition_to_ia_after_days
        storage_class = "STANDARD_IA"
      }
    }
  }
}
