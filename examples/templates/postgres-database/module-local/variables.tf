# The `local` target of the PostgreSQL template: the same inputs as ../module
# (the AWS production example), provisioned on this machine with Terraform's
# built-in terraform_data only, so it needs no registry access and no cloud
# credentials. Selected by `selfService.terraform.target: local`.

variable "name" {
  type        = string
  description = "Database name"
  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,39}$", var.name))
    error_message = "name must be 3-40 lowercase letters, digits or dashes, starting with a letter."
  }
}

variable "instance_size" {
  type        = string
  description = "small, medium or large (recorded; a local database has no instance class)"
  validation {
    condition     = contains(["small", "medium", "large"], var.instance_size)
    error_message = "instance_size must be small, medium or large."
  }
}

variable "storage_gb" {
  type        = number
  description = "Allocated storage in GB (20-500; recorded)"
  validation {
    condition     = var.storage_gb >= 20 && var.storage_gb <= 500
    error_message = "storage_gb must be between 20 and 500."
  }
}

variable "backup_enabled" {
  type    = bool
  default = true
}

variable "environment" {
  type = string
}

variable "tags" {
  type        = map(string)
  description = "Auto-tags computed by the guardrails (team, cost-center, environment, request id, expiry)"
  default     = {}
}

variable "local_root" {
  type        = string
  description = "Directory the local target provisions into (TF_VAR_local_root); ~/.self-service-local by default"
  default     = ""
}
