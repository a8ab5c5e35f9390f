"""What people and scripts see: text (rich), JSON documents, CSV."""
