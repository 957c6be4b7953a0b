terraform {
  required_version = ">= 1.4" # terraform_data
}

locals {
  root = var.local_root != "" ? var.local_root : pathexpand("~/.self-service-local")
  # One directory per environment and team, as a cloud account would separate them.
  team = lookup(var.tags, "team", "no-team")
  dir  = "${local.root}/databases/${var.environment}/${local.team}"
  path = "${local.dir}/${var.name}.sqlite"
}

# A SQLite database file (an empty file is a valid, empty SQLite database) and
# a JSON file next to it recording what was asked for. Replaced when the name
# or the place changes; the other settings are updated in place.
resource "terraform_data" "database" {
  triggers_replace = [local.path]

  input = {
    path           = local.path
    dir            = local.dir
    instance_size  = var.instance_size
    storage_gb     = var.storage_gb
    backup_enabled = var.backup_enabled
    tags           = var.tags
  }

  provisioner "local-exec" {
    command = "mkdir -p \"$DIR\" && [ -e \"$DB\" ] || : > \"$DB\""
    environment = {
      DIR = local.dir
      DB  = local.path
    }
  }

  provisioner "local-exec" {
    when = destroy
    # Only ever the file this resource made.
    command = "rm -f \"$DB\" \"$DB.settings.json\""
    environment = {
      DB = self.output.path
    }
  }
}

# The settings, rewritten whenever they change (an update, not a replacement).
resource "terraform_data" "settings" {
  triggers_replace = [terraform_data.database.output]

  provisioner "local-exec" {
    command = "printf '%s\\n' \"$SETTINGS\" > \"$DB.settings.json\""
    environment = {
      DB = terraform_data.database.output.path
      SETTINGS = jsonencode({
        instance_size  = var.instance_size
        storage_gb     = var.storage_gb
        backup_enabled = var.backup_enabled
        tags           = var.tags
      })
    }
  }
}
