print("windowbench")
