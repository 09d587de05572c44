"""The summary tables officials file (issue 12): model, inputs, catalogue of tables, their rows, XLSX and DOCX."""
