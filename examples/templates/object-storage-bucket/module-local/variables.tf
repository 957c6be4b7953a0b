# The `local` target of the bucket template: the inputs of ../module (the AWS
# production example), provisioned on this machine as a directory with
# Terraform's built-in terraform_data only (no registry, no credentials).
# Selected by `selfService.terraform.target: local`.

variable "name" {
  type        = string
  description = "Bucket name (globally unique)"
}

variable "versioning_enabled" {
  type    = bool
  default = true
}

variable "expire_noncurrent_after_days" {
  type        = number
  description = "Delete non-current object versions after this many days"
  default     = 30
}

variable "transition_to_ia_after_days" {
  type        = number
  description = "Move objects to infrequent access after this many days (0 = never)"
  default     = 90
}

variable "expected_storage_gb" {
  type        = number
  description = "Expected stored data, used for the cost estimate"
  default     = 100
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
