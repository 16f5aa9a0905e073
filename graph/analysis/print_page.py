"""The pages carecircle writes to print or attach (the agenda's and the evaluation's html): one
Jinja2 environment over the package's templates, everything escaped, every page in the frame of
``templates/print_page.html``."""

from functools import cache

__all__ = ["render"]


def render(template: str, page: dict) -> str:
    """The page ``template`` (a file of ``graph/analysis/templates``) showing ``page``.

    Examples
    --------
    >>> html = render("print_page.html", {"lang": "nl", "title": "<Oost>"})
    >>> '<html lang="nl">' in html and "<title>&lt;Oost&gt;</title>" in html
    True
    """
    return _environment().get_template(template).render(page=page)


@cache
def _environment():
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader("graph.analysis", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
