"""A tiny GPT over the scalar engine: microgpt's model and recipe, the same numbers, faster.

    from engine.gpt import GPTTrainer
    trainer = GPTTrainer()          # seed 42, the shipped names
    event = trainer.step()          # event.loss == 3.3659669475848504
    trainer.sample(5)               # five names (gibberish until it has trained)
"""

from .docs import DataFileError, Docs, default_docs, load_docs, parse_docs
from .files import load_trainer, save_trainer
from .model import GPT, FineKit, FusedKit, GPTConfig
from .trainer import DEFAULT_TEMPERATURE, GPTStepEvent, GPTTrainConfig, GPTTrainer

__all__ = ["GPT", "GPTConfig", "FineKit", "FusedKit", "GPTTrainConfig", "GPTTrainer",
           "GPTStepEvent", "DEFAULT_TEMPERATURE", "Docs", "DataFileError", "default_docs",
           "load_docs", "parse_docs", "save_trainer", "load_trainer"]
