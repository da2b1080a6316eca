"""Citizens' carbon credits (碳普惠): methodologies and the append-only double-entry ledger.

Pure: no Django, files or network. ``methodology`` turns an activity into an emission reduction with the
formula its methodology names; ``ledger`` holds the bookkeeping rules (issue, transfer, redeem, expire,
reverse), every transaction balancing to zero and every balance the sum of its entries.

References
----------
.. [1] 上海市生态环境局, 上海市碳普惠管理办法 (沪环规〔2025〕10号), in force 2025-11-01; Art. 3 excludes
   activities already covered by the carbon emission trading scheme (ETS) or CCER.
.. [2] 上海市碳普惠体系建设工作方案 (2023-11-22).
"""
