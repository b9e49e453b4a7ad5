"""Printed documents in the layout of Nghị định 30/2020.

builders: the letterhead, its defaults and the reports' contexts; directive: the draft directive's facts and
paragraphs; forms: the form that sets what goes on a document; views: the PDF, its preview and the form's page;
pdf: HTML to PDF, the one module that imports WeasyPrint. The saved settings are reports.models.DocumentSettings.
"""
