"""Raw stage: checked candidates promoted into raw.*."""
