"""Reports: the catalog (what each report is), the compiler (report → SQL), running them."""
