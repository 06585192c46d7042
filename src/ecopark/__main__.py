from ecopark.cli import main

main()
