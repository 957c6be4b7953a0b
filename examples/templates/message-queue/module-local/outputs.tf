output "queue_url" {
  description = "file:// URL of the queue's message file"
  value       = "file://${terraform_data.queue.output.dir}/messages.jsonl"
}

output "dead_letter_queue_url" {
  value = "file://${terraform_data.queue.output.dir}/dead-letter.jsonl"
}

output "target" {
  value = "local"
}
