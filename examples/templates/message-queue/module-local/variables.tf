# The `local` target of the queue template: the inputs of ../module (the AWS
# production example), provisioned on this machine as a file-backed queue
# (one JSON line per message) with Terraform's built-in terraform_data only.
# Selected by `selfService.terraform.target: local`.

variable "name" {
  type = string
}

variable "fifo" {
  type    = bool
  default = false
}

variable "message_retention_days" {
  type    = number
  default = 4
  validation {
    condition     = var.message_retention_days >= 1 && var.message_retention_days <= 14
    error_message = "message_retention_days must be between 1 and 14."
  }
}

variable "max_receive_count" {
  type        = number
  description = "Deliveries before a message moves to the dead-letter queue"
  default     = 5
}

variable "expected_million_requests" {
  type        = number
  description = "Expected requests per month in millions, used for the cost estimate"
  default     = 10
}

variable "environment" {
  type = string
}

variable "tags" {
  type    = map(string)
  default = {}
}

variable "local_root" {
  type        = string
  description = "Directory the local target provisions into (TF_VAR_local_root); ~/.self-service-local by default"
  default     = ""
}
