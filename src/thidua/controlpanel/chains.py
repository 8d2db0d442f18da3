"""@@thidua-chains: every approval chain with its diagram (drawn in Python, in
the reader's language) and its file; a Site Administrator changes a chain with
a form (previewed before it is saved), replaces it, restores the shipped file
or adds a chain.

A change is checked exactly as the import checks the files (sources.py)
before anything is stored or installed; a refused file changes nothing.  A
chain that extends another is shown merged (diagram, legal parameters, the
merged text) beside its file as written; each legal parameter shows its basis.
"""

from functools import cached_property
from plone import api
from plone.base.utils import safe_text
from plone.protect import CheckAuthenticator
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from Products.statusmessages.interfaces import IStatusMessage
from thidua import _
from thidua.chains.compiler import add_chain
from thidua.chains.compiler import replace_chain
from thidua.chains.compiler import restore_chain
from thidua.chains.diagram import to_dot
from thidua.chains.form import changed_text
from thidua.chains.form import fields
from thidua.chains.guards import GUARDS
from thidua.chains.loader import basis_label
from thidua.chains.loader import ChainError
from thidua.chains.loader import check_chain
from thidua.chains.loader import legal_rules
from thidua.chains.sources import chain_sources
from thidua.chains.sources import known_roles
from thidua.chains.sources import read_chains
from thidua.chains.sources import texts
from thidua.chains.svg import to_svg
from thidua.chains.titles import in_language
from thidua.language import plone_language
from zExceptions import BadRequest
from zope.i18n import translate

import logging
import yaml


logger = logging.getLogger("thidua.chains")
NEW = "_new"  # the form that adds a chain


class ChainsControlPanel(BrowserView):
    template = ViewPageTemplateFile("chains.pt")
    error = None  # the ChainError of a refused file
    error_form = None  # the chain id of the form it came from, or NEW
    submitted = ""  # the refused text, shown again in its form to be fixed
    preview = None  # {"id", "svg", "text"}: a form's change, checked, not saved

    def __call__(self):
        if self.request.method == "POST":
            CheckAuthenticator(self.request)
            anchor, message = self.change()
            if message is not None:
                IStatusMessage(self.request).add(message, "info")
                self.request.response.redirect(f"{self.url}#chain-{anchor}")
                return ""
        return self.template()

    @property
    def url(self):
        return f"{self.context.absolute_url()}/@@thidua-chains"

    def change(self):
        """Do what the form asks; (anchor, status message), the message None when refused."""
        form = self.request.form
        action = form.get("action")
        chain_id = form.get("chain_id") or NEW
        sources = chain_sources(self.context)
        if action == "add":
            default_name = "new-chain.yaml"
        elif action == "replace" and chain_id in sources:
            default_name = sources[chain_id]["filename"]
        elif action == "restore" and sources.get(chain_id, {}).get("shipped"):
            default_name = None
        elif action in ("form-preview", "form-save") and chain_id in sources:
            default_name = sources[chain_id]["filename"]
        else:
            raise BadRequest("Unknown action, or no such chain")
        text, filename = "", default_name
        try:
            if action == "restore":
                restore_chain(self.context, chain_id)
                message = _(
                    "The shipped file of ${chain} is in force again.", mapping={"chain": chain_id}
                )
            elif action == "form-preview":
                self.preview_change(chain_id, sources[chain_id])
                return chain_id, None
            elif action == "form-save":
                text, filename = self.form_text(chain_id, sources[chain_id])
                updated = replace_chain(self.context, chain_id, text, filename, self.user_id)
                message = _(
                    "The chain ${chain} has been changed; ${count} items updated.",
                    mapping={"chain": chain_id, "count": updated},
                )
            elif action == "add":
                text, filename = self.submitted_text(default_name)
                chain_id = add_chain(self.context, text, filename, self.user_id)
                message = _("The chain ${chain} has been added.", mapping={"chain": chain_id})
            else:
                text, filename = self.submitted_text(default_name)
                updated = replace_chain(self.context, chain_id, text, filename, self.user_id)
                message = _(
                    "The chain ${chain} has been replaced; ${count} items updated.",
                    mapping={"chain": chain_id, "count": updated},
                )
        except ChainError as error:
            self.error, self.error_form, self.submitted = error, chain_id, text
            return chain_id, None
        logger.info("chain %s: %s by %s (%s)", chain_id, action, self.user_id, filename)
        return chain_id, message

    def form_text(self, chain_id, source):
        """The chain's file changed as the fields say; (text, file name)."""
        sources = chain_sources(self.context)
        chain = check_chain(
            source["text"],
            source["filename"],
            GUARDS,
            known_roles(self.context),
            texts(sources),
        )[0]
        form = self.request.form
        return changed_text(source["text"], source["filename"], chain, form), source["filename"]

    def preview_change(self, chain_id, source):
        """Check the form's change with every chain, as saving would; draw it."""
        text, filename = self.form_text(chain_id, source)
        chains = read_chains(self.context, pending={chain_id: (text, filename)})
        [chain] = [each for each in chains if each["id"] == chain_id]
        self.preview = {
            "id": chain_id,
            "svg": to_svg(chain, plone_language(), self.say),
            "text": text,
        }

    def field(self, chain_id, name, default):
        """A field of the form editor: what was sent, when it was this chain's
        form (refused or previewed), else the chain's value."""
        if self.error_form == chain_id or (self.preview or {}).get("id") == chain_id:
            return self.request.form.get(name, "")
        return default

    def checked(self, chain_id, name, value, default):
        if self.error_form == chain_id or (self.preview or {}).get("id") == chain_id:
            sent = self.request.form.get(name) or []
            sent = [sent] if isinstance(sent, str) else sent
            return value in sent or (value is True and bool(sent))
        return default

    def role_title(self, role):
        return translate(role, domain="plone", context=self.request)

    @property
    def user_id(self):
        return api.user.get_current().getId()

    def submitted_text(self, default_name):
        """The uploaded file, else the pasted text; (text, file name)."""
        upload = self.request.form.get("file")
        if getattr(upload, "filename", None):
            filename = safe_text(upload.filename)
            try:
                return upload.read().decode("utf-8"), filename
            except UnicodeDecodeError:
                raise ChainError(filename, 1, "(file)", _("not UTF-8 text")) from None
        text = safe_text(self.request.form.get("text") or "")
        return text.replace("\r\n", "\n"), default_name

    @cached_property
    def chains(self):
        """What the page shows of each chain (drawn once per request)."""
        return list(self._each_chain())

    def say(self, message):
        return translate(message, context=self.request)

    def described(self, error):
        """A ChainError or ChainWarning in the reader's language: file, line, field, problem."""
        return self.say(
            _(
                "${filename}, line ${line}, ${field}: ${message}",
                mapping={
                    "filename": error.filename,
                    "line": error.line,
                    "field": error.field,
                    "message": self.say(error.message),
                },
            )
        )

    def _each_chain(self):
        roles = known_roles(self.context)
        sources = chain_sources(self.context)
        for chain_id, source in sources.items():
            chain, problem, warnings = None, None, []
            try:
                chain, warnings = check_chain(
                    source["text"], source["filename"], GUARDS, roles, texts(sources)
                )
            except ChainError as error:
                problem = self.described(error)
            language = plone_language()
            dot = to_dot(chain, self.say, language) if chain else ""
            refused = self.error is not None and self.error_form == chain_id
            stored = source["date"] is not None
            yield {
                "id": chain_id,
                "title": in_language(chain["title"], language) if chain else chain_id,
                "origin": "added"
                if source["shipped"] is None
                else "replaced"
                if stored
                else "shipped",
                "filename": source["filename"],
                "replaced_by": source["replaced_by"],
                "date": api.portal.get_localized_time(source["date"], long_format=True)
                if stored
                else None,
                "problem": problem,
                "extends": chain.get("extends") if chain else None,
                "merged": self.merged_text(chain) if chain and chain.get("extends") else None,
                "rules": [
                    {**rule, "basis_text": self.say(basis_label(rule["basis"]))}
                    for rule in (legal_rules(chain, GUARDS) if chain else ())
                ],
                "warnings": [self.described(warning) for warning in warnings],
                "dot": dot,
                # Drawn in Python: no Graphviz needed, titles in the reader's language.
                "svg": to_svg(chain, language, self.say) if chain else None,
                "text": self.submitted if refused and self.submitted else source["text"],
                "form": fields(chain) if chain else None,
            }

    @staticmethod
    def merged_text(chain):
        """The merged chain as YAML: what a chain that extends another amounts to."""
        return yaml.safe_dump(chain, sort_keys=False, allow_unicode=True, width=96)

    def new_text(self):
        return self.submitted if self.error_form == NEW else ""
