"""The product's core: storage, ingest, normalization, metrics and reports. Knows nothing of Streamlit."""
