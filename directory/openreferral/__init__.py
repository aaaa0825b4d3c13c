"""The Open Referral UK 3.0 feed: records as ORUK JSON, what a request selects, its routes, response models, parameters
and examples."""
