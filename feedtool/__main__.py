from feedtool.cli import run

run()
