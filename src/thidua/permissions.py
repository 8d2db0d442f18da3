"""The titles of thidua's permissions that its code checks or grants
(``has_permission``, ``checkPermission``, the chains' state permissions).
permissions.zcml declares them all, profiles/default/rolemap.xml grants them."""

AddCandidate = "thidua: Add Candidate"
ViewPersonalData = "thidua: View personal data"
EditPersonalData = "thidua: Edit personal data"

ViewBallot = "thidua: View ballot"
RecordPaperBallot = "thidua: Record paper ballot"
IntroduceCandidate = "thidua: Introduce candidate"

ViewDashboard = "thidua: View dashboard"
# Adding an emulation cluster or bloc to a unit (thidua.clusters).
AddCluster = "thidua: Add Cluster"
# Adding to a model's nurture plan (thidua.nurture); reading it is ViewDashboard.
EditNurturePlan = "thidua: Edit nurture plan"


def delegate(role):
    """The permission to give ``role`` on the Sharing tab and through @sharing."""
    return f"thidua: Delegate {role}"
