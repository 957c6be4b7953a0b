terraform {
  required_version = ">= 1.4" # terraform_data
}

locals {
  root = var.local_root != "" ? var.local_root : pathexpand("~/.self-service-local")
  team = lookup(var.tags, "team", "no-team")
  dir  = "${local.root}/queues/${var.environment}/${local.team}/${var.name}"
}

# A file-backed queue: messages.jsonl (one JSON message per line) and a
# dead-letter file beside it, with the settings in queue.json.
resource "terraform_data" "queue" {
  triggers_replace = [local.dir, var.fifo]

  input = {
    dir = local.dir
  }

  provisioner "local-exec" {
    command = "mkdir -p \"$QUEUE\" && touch \"$QUEUE/messages.jsonl\" \"$QUEUE/dead-letter.jsonl\""
    environment = {
      QUEUE = local.dir
    }
  }

  provisioner "local-exec" {
    when    = destroy
    command = "[ -f \"$QUEUE/messages.jsonl\" ] && rm -rf \"$QUEUE\" || true"
    environment = {
      QUEUE = self.output.dir
    }
  }
}

resource "terraform_data" "settings" {
  triggers_replace = [
    terraform_data.queue.output,
    var.message_retention_days,
    var.max_receive_count,
    var.tags,
  ]

  provisioner "local-exec" {
    command = "printf '%s\\n' \"$SETTINGS\" > \"$QUEUE/queue.json\""
    environment = {
      QUEUE = terraform_data.queue.output.dir
      SETTINGS = jsonencode({
        fifo                   = var.fifo
        message_retention_days = var.message_retention_days
        max_receive_count      = var.max_receive_count
        tags                   = var.tags
      })
    }
  }
}
