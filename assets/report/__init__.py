"""Report stage: the annual report rendered from the published snapshot."""
