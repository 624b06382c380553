"""Raw stage: a year's checked candidates promoted into raw.* in one transaction."""
