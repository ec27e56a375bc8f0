import statistics
from tests.corpus_report import visual_lengths, CORPUS
from explainer.planning.base import PlanSettings
from explainer.planning.extractive import ExtractivePlanner
from explainer.pipeline import plan_checked
from explainer.sources import load_source
s=PlanSettings(); en=[]; es=[]
for p in sorted(CORPUS.iterdir()):
    plan=plan_checked(ExtractivePlanner(), load_source(str(p)), s, None)
    for sh in plan.shots:
        (en if plan.language.startswith('en') else es).extend(visual_lengths(sh,s))
for name,v in (('en',en),('es',es)):
    print(name, len(v), 'median', statistics.median(v), 'max', max(v), 'over8', sum(x>8 for x in v), 'under3', sum(x<3 for x in v), 'in3-7', sum(3<=x<=7 for x in v))
