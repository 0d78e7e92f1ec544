"""The official form: table layouts, wording and numbering from ``templates/official/``.

:mod:`~hdgovreport.form.layout` reads the tables and wording; :mod:`~hdgovreport.form.queries`
answers the questions every package asks of them; :mod:`~hdgovreport.form.numbering`
generates heading and point numbers.  ``templates/official/*.yaml`` is the only home of a label.
"""
