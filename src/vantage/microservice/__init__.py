"""Kaltura's Reports Microservice: ``/api/v1/report/{generate,serve,cancel}`` over report jobs
(vantage.jobs), answering JSON errors as Vantage's other JSON APIs do."""
