output "endpoint" {
  description = "Path of the SQLite database file"
  value       = terraform_data.database.output.path
}

output "connection_string" {
  value = "sqlite://${terraform_data.database.output.path}"
}

output "target" {
  value = "local"
}
