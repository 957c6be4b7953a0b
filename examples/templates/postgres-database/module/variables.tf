# Inputs arrive only through the generated self-service.auto.tfvars.json.
variable "name" {
  type        = string
  description = "Database instance identifier"
}

variable "instance_size" {
  type        = string
  description = "small, medium or large"
  validation {
    condition     = contains(["small", "medium", "large"], var.instance_size)
    error_message = "instance_size must be small, medium or large."
  }
}

variable "storage_gb" {
  type        = number
  description = "Allocated storage in GB (20-500)"
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
