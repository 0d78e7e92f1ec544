"""The fill-in workbook (``.xlsx``): the report as an officer fills it in Excel, WPS or Calc.

:mod:`~hdgovreport.datafile.workbook.layout` says where everything sits,
:mod:`~hdgovreport.datafile.workbook.write` draws the workbook,
:mod:`~hdgovreport.datafile.workbook.read` reads it back as strictly as the YAML reader,
:mod:`~hdgovreport.datafile.workbook.sheets` holds the reusable openpyxl building blocks.
"""
