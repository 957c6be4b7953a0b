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
