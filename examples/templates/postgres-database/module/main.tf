terraform {
  required_version = ">= 1.5"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
    random = {
      source  = "hashicorp/random"
      version = "~> 3.6"
    }
  }
  # The backend is configured per request by terraform:plan (-backend-config).
  backend "local" {}
}

locals {
  instance_classes = {
    small  = "db.t4g.small"
    medium = "db.m6g.large"
    large  = "db.r6g.xlarge"
  }
}

resource "random_password" "master" {
  length  = 32
  special = false
}

resource "aws_db_instance" "this" {
  identifier              = var.name
  engine                  = "postgres"
  engine_version          = "16"
  instance_class          = local.instance_classes[var.instance_size]
  allocated_storage       = var.storage_gb
  username                = "app"
  password                = random_password.master.result
  backup_retention_period = var.backup_enabled ? 7 : 0
  # Encryption at rest is not a parameter: it is always on.
  storage_encrypted   = true
  skip_final_snapshot = var.environment != "production"
  deletion_protection = var.environment == "production"
  tags                = var.tags
}
