print("anneal")
