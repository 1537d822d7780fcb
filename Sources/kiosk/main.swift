print("kiosk: not built yet")
