"""Create (or reuse) the Plone site that ``make start`` serves.

    python -m thidua.deploy.create_site var/instance/etc/zope.conf

Idempotent: an existing site is kept as it is; thidua is installed or
upgraded and the demo profile applied only where that has not happened yet.
The Zope administrator is created as ``admin``/``admin`` unless
THIDUA_ADMIN_USER and THIDUA_ADMIN_PASSWORD say otherwise; a later run with
THIDUA_ADMIN_PASSWORD set changes the password, one without it leaves it be.
Prints one JSON line saying what it did.
"""

import argparse
import json
import os


SITE_TITLE = "Thi đua - Khen thưởng"
SITE_DESCRIPTION = "Xây dựng, nhân rộng điển hình tiên tiến"
DEMO_PROFILE = "thidua:demo"
# The chains mail the next step's people; without a sender Plone sends nothing.
MAIL_SENDER = ("thidua@localhost", "Thi đua - Khen thưởng")
# Products.MailHost's queue folder until someone sets one.
UNSET_QUEUE = "/tmp"  # noqa: S108  MailHost's own default, compared, never used
DEFAULT_ADMIN_PASSWORD = "admin"  # noqa: S105  local use; THIDUA_ADMIN_PASSWORD overrides


def open_app(zope_conf):
    """The Zope application root, as ``zconsole run`` prepares it."""
    from AccessControl.SecurityManagement import newSecurityManager
    from AccessControl.users import system
    from Testing.makerequest import makerequest
    from zope.globalrequest import setRequest
    from Zope2.Startup.run import make_wsgi_app

    import Zope2

    make_wsgi_app({}, zope_conf)
    app = makerequest(Zope2.app())
    app.REQUEST["PARENTS"] = [app]
    setRequest(app.REQUEST)
    newSecurityManager(None, system)
    return app


def ensure_admin(app, user, password=None):
    """Create the Zope administrator, or change its password when one is given."""
    users = app.acl_users
    if users.getUserById(user) is None:
        users.userFolderAddUser(user, password or DEFAULT_ADMIN_PASSWORD, ["Manager"], [])
    elif password is None:
        return
    elif "users" in users.objectIds():
        # Creating a Plone site turns the root user folder into a
        # PluggableAuthService, whose ZODB user manager keeps the passwords.
        users.users.updateUserPassword(user, password)
    else:
        users.userFolderEditUser(user, password, ["Manager"], [])


def ensure_site(app, site_id, language="vi"):
    """Return (site, created)."""
    if site_id in app.objectIds():
        return app[site_id], False
    from plone.distribution.api import site as site_api

    site = site_api.create(
        app,
        "classic",
        {
            "site_id": site_id,
            "title": SITE_TITLE,
            "description": SITE_DESCRIPTION,
            "default_language": language,
            "portal_timezone": "Asia/Ho_Chi_Minh",
            "setup_content": False,
        },
    )
    return site, True


def ensure_mail_sender(site, address=MAIL_SENDER[0], name=MAIL_SENDER[1]):
    """Give the site a sender address for its mails, unless it already has one."""
    registry = site.portal_registry
    if registry["plone.email_from_address"]:
        return []
    registry["plone.email_from_address"] = address
    if not registry["plone.email_from_name"]:
        registry["plone.email_from_name"] = name
    return [f"mail sender {address}"]


def ensure_mail_queue(site, folder=None):
    """Turn the MailHost's queue on (Products.MailHost, zope.sendmail's maildir
    in ``folder``, default ``mailqueue`` in Zope's client home, the instance's
    ``var``) unless it was ever configured: a step then waits for no mail
    server, and mails wait in the queue while the server is down instead of
    being lost."""
    from App.config import getConfiguration

    mailhost = site.MailHost
    if mailhost.smtp_queue or mailhost.smtp_queue_directory != UNSET_QUEUE:
        return []
    folder = folder or os.path.join(getConfiguration().clienthome, "mailqueue")
    mailhost.smtp_queue = True
    mailhost.smtp_queue_directory = folder
    return [f"mail queue {folder}"]


def ensure_thidua(site, demo=True):
    """Install or upgrade thidua, apply the demo profile once; say what was done."""
    from plone.base.utils import get_installer
    from zope.component.hooks import setSite

    setSite(site)
    installer = get_installer(site, site.REQUEST)
    done = []
    if not installer.is_product_installed("thidua"):
        installer.install_product("thidua")
        done.append("installed thidua:default")
    elif installer.upgrade_info("thidua").get("required"):
        installer.upgrade_product("thidua")
        done.append("upgraded thidua:default")
    setup = site.portal_setup
    if demo and setup.getLastVersionForProfile(DEMO_PROFILE) == "unknown":
        setup.runAllImportStepsFromProfile(f"profile-{DEMO_PROFILE}")
        done.append(f"applied {DEMO_PROFILE}")
    return done


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("zope_conf")
    parser.add_argument("--site-id", default=os.environ.get("THIDUA_SITE_ID", "Plone"))
    parser.add_argument("--no-demo", action="store_true", help="skip thidua:demo")
    args = parser.parse_args(argv)
    user = os.environ.get("THIDUA_ADMIN_USER", "admin")
    password = os.environ.get("THIDUA_ADMIN_PASSWORD")

    import transaction

    app = open_app(args.zope_conf)
    # After the site: creating one replaces the root user folder, users and all.
    site, created = ensure_site(app, args.site_id)
    ensure_admin(app, user, password)
    done = (
        ensure_thidua(site, demo=not args.no_demo)
        + ensure_mail_sender(site)
        + ensure_mail_queue(site)
    )
    transaction.commit()
    print(
        json.dumps(
            {
                "site": site.getId(),
                "uid": site.UID(),
                "created": created,
                "language": site.portal_registry["plone.default_language"],
                "done": done,
                "admin": user,
            },
            ensure_ascii=False,
        )
    )
    if password:
        print(f"Zope administrator: {user}, password from THIDUA_ADMIN_PASSWORD")
    else:
        print(
            f"Zope administrator: {user} / {DEFAULT_ADMIN_PASSWORD} unless changed "
            "(THIDUA_ADMIN_PASSWORD=... make start sets another)"
        )


if __name__ == "__main__":
    main()
