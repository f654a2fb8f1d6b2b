"""Fleet views: the read paths operations tools and ERPs poll across the whole fleet."""
