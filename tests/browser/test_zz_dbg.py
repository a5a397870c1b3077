import pytest

from tests.browser.helpers import _axe, next_step

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

def dump(page, where):
    r = _axe.run(page, options={"resultTypes": ["violations", "incomplete"]})
    print("==", where, [(v["id"], v["impact"], len(v["nodes"])) for v in r.response["violations"]])
    print("   incomplete", [(v["id"], v["impact"], len(v["nodes"])) for v in r.response["incomplete"]])

def test_dbg(open_page):
    page = open_page()
    for p in ["/", "/unsafe/", "/followup/", "/report/"]:
        page.goto(p); page.wait_for_timeout(300); dump(page, p)
    page.evaluate("() => { const p = document.createElement('p'); p.style.color = '#ddd'; p.textContent = 'low contrast text'; document.querySelector('main').append(p); }")
    dump(page, "injected")
    page.goto("/report/")
    page.locator("details:has(#cat-theft-bike) > summary").click(); page.locator("#cat-theft-bike").check()
    next_step(page)
    page.locator("#use-my-location").click()
    page.wait_for_timeout(500)
    dump(page, "where")
    page2 = open_page(javascript=False)
    for p in ["/report/", "/unsafe/"]:
        page2.goto(p); dump(page2, "nojs " + p)
    page3 = open_page(locale="fr-FR", accept_language="fr")
    for p in ["/", "/report/", "/unsafe/"]:
        page3.goto(p); dump(page3, "fr " + p)
