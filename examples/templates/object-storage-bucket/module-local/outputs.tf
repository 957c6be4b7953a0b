output "bucket" {
  value = var.name
}

output "path" {
  description = "Directory holding the bucket's objects"
  value       = terraform_data.bucket.output.path
}

output "target" {
  value = "local"
}
