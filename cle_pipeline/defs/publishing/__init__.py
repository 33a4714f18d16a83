"""Publication to data.gouv.fr: one asset per published dataset, the job and the sensor."""
