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

locals {
  suffix = var.fifo ? ".fifo" : ""
}

resource "aws_sqs_queue" "dead_letter" {
  name                      = "${var.name}-dlq${local.suffix}"
  fifo_queue                = var.fifo
  message_retention_seconds = 14 * 24 * 3600
  sqs_managed_sse_enabled   = true
  tags                      = var.tags
}

# Server-side encryption is always on; it is not a parameter.
resource "aws_sqs_queue" "this" {
  name                      = "${var.name}${local.suffix}"
  fifo_queue                = var.fifo
  message_retention_seconds = var.message_retention_days * 24 * 3600
  sqs_managed_sse_enabled   = true
  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.dead_letter.arn
    maxReceiveCount     = var.max_receive_count
  })
  tags = merge(var.tags, { "self-service.io/expected-million-requests" = tostring(var.expected_million_requests) })
}
