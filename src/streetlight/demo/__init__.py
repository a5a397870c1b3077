"""The fictional demo city of Portavera: areas, categories, support services and a year of reports."""
