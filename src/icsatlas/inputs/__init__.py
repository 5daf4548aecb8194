"""One way in for what users type and the files they import: dates, numbers and CSV rows,
each parsed one way everywhere, with errors that name the file, row and field."""
