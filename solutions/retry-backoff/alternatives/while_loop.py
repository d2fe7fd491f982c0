"""A correct alternative: a while loop that draws the random number up front."""

import random
import time
from functools import update_wrapper


def retry(func, *, attempts=5, base_delay=0.1, max_delay=5.0, retry_on=(Exception,),
          sleep=time.sleep, rng=random.random):
    if attempts < 1 or base_delay < 0 or max_delay < 0:
        raise ValueError("bad retry options")
    tried = 0
    window = base_delay  # base_delay * 2**retry, doubled only while under the cap
    while True:
        share = rng()  # drawn even when it is not used: allowed by the contract
        try:
            return func()
        except retry_on:
            tried += 1
            if tried >= attempts:
                raise
            sleep(share * (window if window < max_delay else max_delay))
            if window < max_delay:
                window *= 2  # never past twice the cap: no overflow after 1024 retries


def retrying(**options):
    retry(lambda: None, **{k: v for k, v in options.items() if k not in ("sleep", "rng")})

    def apply(func):
        def inner(*args, **kwargs):
            return retry(lambda: func(*args, **kwargs), **options)

        return update_wrapper(inner, func)

    return apply
