"""Walk me home: a resident's trusted contacts follow a walk and are alerted when it goes wrong."""
