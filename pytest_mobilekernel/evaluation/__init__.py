"""The pipeline of one task: kernel -> build -> correctness -> speed.

==============  ===========================================================================
``evaluator``   the Evaluator: settings, device lease and failover, CPU lanes, session memo
``stages``      the compile and correctness stages
``speed``       the speed stage: one measurement over arms, for every device and target
``arms``        runners as timing arms: the protocol's harness side (staging, checks, clocks)
``feedback``    what an agent learns from one candidate (``try_source``)
``stage``       StageResult, the verdict the plugin reports
==============  ===========================================================================
"""

from .evaluator import Evaluator
from .feedback import Feedback
from .stage import STAGES, StageResult

__all__ = ["Evaluator", "Feedback", "STAGES", "StageResult"]
