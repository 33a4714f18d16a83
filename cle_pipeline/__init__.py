"""cle-pipeline: a French commune's open datasets, built from the national files."""
