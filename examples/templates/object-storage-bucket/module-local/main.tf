terraform {
  required_version = ">= 1.4" # terraform_data
}

locals {
  root = var.local_root != "" ? var.local_root : pathexpand("~/.self-service-local")
  team = lookup(var.tags, "team", "no-team")
  path = "${local.root}/buckets/${var.environment}/${local.team}/${var.name}"
}

# The bucket is a directory; its settings sit in .bucket.json inside it.
# Destroying it removes the directory and what was put in it, as deleting a
# bucket with force_destroy would.
resource "terraform_data" "bucket" {
  triggers_replace = [local.path]

  input = {
    path = local.path
  }

  provisioner "local-exec" {
    command = "mkdir -p \"$BUCKET\""
    environment = {
      BUCKET = local.path
    }
  }

  provisioner "local-exec" {
    when    = destroy
    command = "[ -f \"$BUCKET/.bucket.json\" ] && rm -rf \"$BUCKET\" || true"
    environment = {
      BUCKET = self.output.path
    }
  }
}

resource "terraform_data" "settings" {
  triggers_replace = [
    terraform_data.bucket.output,
    var.versioning_enabled,
    var.expire_noncurrent_after_days,
    var.transition_to_ia_after_days,
    var.tags,
  ]

  provisioner "local-exec" {
    command = "printf '%s\\n' \"$SETTINGS\" > \"$BUCKET/.bucket.json\""
    environment = {
      BUCKET = terraform_data.bucket.output.path
      SETTINGS = jsonencode({
        versioning_enabled           = var.versioning_enabled
        expire_noncurrent_after_days = var.expire_noncurrent_after_days
        transition_to_ia_after_days  = var.transition_to_ia_after_days
        tags                         = var.tags
      })
    }
  }
}
