"""What a person tells caremgr: the answers model built from the catalog, its readers, the questionnaire."""
